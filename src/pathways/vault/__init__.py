"""Free-text fields encrypted at rest, with keys kept outside the database and rotated without downtime."""
