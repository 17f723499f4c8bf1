"""Generic spiders, one per site family; a source is a few class attributes on one of them."""
