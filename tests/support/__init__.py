"""Helpers the test suites share: API calls with access keys (api_client), running
requests at the same moment (concurrency), reading pages and CSVs (pages), and the
settings and URL modules that the server and error-page tests load."""
