#!/bin/sh
# Refreshes the pictures in this folder: the browser tests that take them, in headless
# Chromium (/usr/bin/chromium), at the widths each test sets (1440x900, and 375x812 for
# the "-phone" ones), with SAVE_SCREENSHOTS=1 so that they write here rather than to a
# temporary folder. Run from the repository's root: sh docs/screenshots/make.sh
# (test_big_lists fills 10,000 subprojects for 2-subprojects-page-phone,
# 8-subprojects-10000 and 9-remove-several; on 2026-12-06 the whole run took 94 s on
# the shared 2-core machine).
set -e
SAVE_SCREENSHOTS=1 .venv/bin/pytest -q -p no:cacheprovider \
  tests/browser/test_billing.py tests/browser/test_details_panel.py \
  tests/browser/test_error_pages.py tests/browser/test_first_sign_in.py \
  tests/browser/test_help_article.py tests/browser/test_navigation.py \
  tests/browser/test_suspension_and_activity.py tests/browser/test_team.py \
  tests/browser/test_two_factor.py tests/browser/test_usage_page.py \
  tests/browser/test_webhooks.py tests/browser/test_big_lists.py "$@"
