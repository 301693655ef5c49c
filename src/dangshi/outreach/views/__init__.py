"""outreach pages by audience: console (office, admins, lecturers), member (H5), public (calendar feeds)."""
