"""reports pages: all for the console (office and admins)."""
