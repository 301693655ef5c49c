from django.urls import path

from dangshi.learning.views import console, member, public

app_name = "learning"
urlpatterns = [
    path("", member.h5_today, name="h5_today"),
    path("columns/", member.h5_columns, name="h5_columns"),
    path("items/", member.h5_column, name="h5_column"),
    path("items/<int:item_id>/", member.h5_item, name="h5_item"),
    path("items/<int:item_id>/audio", member.h5_item_audio, name="h5_item_audio"),
    path("search/", member.h5_search, name="h5_search"),
    path("history/", member.h5_history, name="h5_history"),
    path("offline/", member.h5_offline, name="h5_offline"),
    path("console/items/", console.console_items, name="console_items"),
    path("console/items/new/", console.console_item_new, name="console_item_new"),
    path("console/items/<int:item_id>/", console.console_item, name="console_item"),
    path("console/items/<int:item_id>/wechat/", console.console_item_wechat, name="console_item_wechat"),
    path("console/five-ones/", console.console_five_ones, name="console_five_ones"),
    path("console/points/", console.console_points, name="console_points"),
    path("console/point-rules/", console.console_point_rules, name="console_point_rules"),
    path("console/point-rules/<int:rule_id>/", console.console_point_rule, name="console_point_rule"),
    path("console/pushes/", console.console_pushes, name="console_pushes"),
    path("console/pushes/<int:push_id>/", console.console_push, name="console_push"),
    path("console/broadcast/<int:playlist_id>/", console.console_playlist, name="console_playlist"),
    path("console/broadcast/<int:playlist_id>.m3u", console.console_playlist_m3u, name="console_playlist_m3u"),
    path("console/offline/", console.console_offline, name="console_offline"),
    path("console/import/", console.console_import, name="console_import"),
    path("console/import/template.xlsx", console.console_import_template, name="console_import_template"),
    path("console/import/report/<str:token>.xlsx", console.console_import_report, name="console_import_report"),
    path("console/export.xlsx", console.console_export, name="console_export"),
]
root_urlpatterns = [
    path("feeds/<slug:column_code>.xml", public.column_feed, name="learning_feed"),
    path("feeds/<slug:column_code>.atom", public.column_atom_feed, name="learning_feed_atom"),
]
