"""Pathways: software for the recovery model of addiction care."""
