"""What the shopper can take with them (export) and have removed (deletion)."""
