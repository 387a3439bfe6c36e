"""Plain data, rules and errors. Imports nothing else of ours."""
