from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/<int:pk>/", views.plan, name="plan"),
    path("nhiem-vu/", views.tasks, name="tasks"),
    path("nhiem-vu/<int:pk>/", views.task, name="task"),
    path("so-ket/", views.review, name="review"),
    path("kiem-tra/", views.inspections, name="inspections"),
    path("kiem-tra/<int:pk>/", views.inspection, name="inspection"),
    path("xep-loai/", views.ratings, name="ratings"),
    path("bien-che/", views.staffing, name="staffing"),
]
