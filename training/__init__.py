"""The reproducible recipe that builds segclf's training corpus and shipped model."""
