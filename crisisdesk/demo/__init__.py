"""A realistic demo shop, fed through the same signed event path the bridge uses."""
