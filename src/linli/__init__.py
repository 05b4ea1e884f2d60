"""linli (邻里): community group-buying and private-domain operations."""
