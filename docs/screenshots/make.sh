#!/bin/sh
# Refreshes the pictures in this folder: the browser tests that take them, in headless
# Chromium (/usr/bin/chromium), at the widths each test sets (1440x900, and 375x812 for
# the "-phone" ones), with SAVE_SCREENSHOTS=1 so that they write here rather than to a
# temporary folder. Run from the repository's root: sh docs/screenshots/make.sh
# (add tests/browser/test_big_lists.py for 8-subprojects-10000.png: it fills 10,000
# subprojects and takes minutes).
set -e
SAVE_SCREENSHOTS=1 .venv/bin/pytest -q -p no:cacheprovider \
  tests/browser/test_billing.py tests/browser/test_details_panel.py \
  tests/browser/test_error_pages.py tests/browser/test_first_sign_in.py \
  tests/browser/test_help_article.py tests/browser/test_navigation.py \
  tests/browser/test_suspension_and_activity.py tests/browser/test_team.py \
  tests/browser/test_two_factor.py tests/browser/test_usage_page.py \
  tests/browser/test_webhooks.py "$@"
