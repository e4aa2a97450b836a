"""The structured question kinds; ``plans.structured.KINDS`` is the entry point."""
