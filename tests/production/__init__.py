"""Pathways as deployed: the production stack started whole and tested over HTTPS (`make test-production`)."""
