"""The learning library: short pieces in our own words about recovery, loaded from Markdown files that an"""
