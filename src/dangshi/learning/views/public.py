"""Public pages: each column's RSS and Atom feed (public, published, for-everyone items only)."""

from django.contrib.auth.decorators import login_not_required

from dangshi.learning import feeds

column_feed = login_not_required(feeds.ColumnFeed())
column_atom_feed = login_not_required(feeds.ColumnAtomFeed())
