"""Dashboard views: thin functions, one per page or action.

Each one reaches its project through projects.access (404 for outsiders, 403 for
viewers on writes) and changes data only through projects.services.
"""
