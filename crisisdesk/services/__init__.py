"""Use cases: one function each, owning its transaction (commit or rollback) and raising DomainError."""
