"""Views of the staff console: thin, each decorated with `console_view(permission)`."""
