"""HTTP adapters: parse input, check roles, call one service, render the result."""
