"""Adapters to outside systems. They make no business decisions and never import web/ or services/."""
