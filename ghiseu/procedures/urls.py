"""The staff work screens, under /lucrari/."""

from django.urls import path

from ghiseu.procedures import views

app_name = "procedures"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sarcinile-mele/", views.my_tasks, name="my_tasks"),
    path("compartiment/", views.department_tasks, name="department_tasks"),
    path("dosare/<int:pk>/", views.case_detail, name="case"),
    path("dosare/<int:pk>/completare/", views.case_request_completion, name="request_completion"),
    path("dosare/<int:pk>/emitere/", views.case_issue, name="issue"),
    path("sarcini/<int:pk>/incheiere/", views.task_complete, name="task_complete"),
    path("sarcini/<int:pk>/repartizare/", views.task_assign, name="task_assign"),
]
