"""supervision pages by audience: console (office and admins), member."""
