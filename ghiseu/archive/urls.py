"""Staff pages of the archive (mounted at /arhiva/)."""

from django.urls import path

from ghiseu.archive import views, views_viewer

app_name = "archive"

urlpatterns: list = [
    path("", views.home, name="home"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_progress, name="import-progress"),
    path("import/<int:pk>/raport.csv", views.import_report, name="import-report"),
    path("predare/", views.handover_page, name="handover"),
    path("predare/inventar.pdf", views.handover_inventory, name="handover-inventory"),
    path("predare/proces-verbal.pdf", views.handover_report, name="handover-report"),
    path("registru.pdf", views.archive_register, name="register"),
    path("selectionare/", views.selection, name="selection"),
    path("eliminare/<int:pk>/", views.proposal_detail, name="proposal"),
    path("eliminare/<int:pk>/propunere.pdf", views.proposal_pdf, name="proposal-pdf"),
    path("dosare/", views.dossier_list, name="dossiers"),
    path("dosare/export/", views.dossier_export, name="dossier-export"),
    path("documente/<int:pk>/", views_viewer.document_view, name="document"),
    path("documente/<int:pk>/pdf", views_viewer.document_pdf, name="document-pdf"),
    path("documente/<int:pk>/descarcare/<slug:kind>/", views_viewer.document_download, name="document-download"),
]
