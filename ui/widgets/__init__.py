"""Reusable widgets: form fields, the check-in form, charts, the month grid."""
