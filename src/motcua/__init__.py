"""motcua: one-stop shop platform for Vietnamese administrative procedures."""
