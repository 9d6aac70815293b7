"""A faithful WooCommerce REST API v3 stand-in (server.py) and its pytest fixtures (fixtures.py)."""
