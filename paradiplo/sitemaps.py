"""The sitemap (placeholder until built): see paradiplo/urls.py."""

sitemaps: dict = {}
