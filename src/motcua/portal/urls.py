from django.urls import path

from . import applying, lookup, results, views

app_name = "portal"

urlpatterns = [
    path("thu-tuc/", views.procedures, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/nop/", applying.apply, name="apply"),
    path("mau-don/<int:pk>/", views.form_file, name="form"),
    path("dang-ky/", views.sign_up, name="sign-up"),
    path("xac-minh/", views.verify, name="verify"),
    path("xac-minh/gui-lai/", views.resend, name="resend"),
    path("quen-mat-khau/", views.forgot_password, name="forgot"),
    path("quen-mat-khau/dat-lai/", views.reset_password, name="reset"),
    path("ca-nhan/", views.mine, name="mine"),
    path("ca-nhan/thong-bao/", views.notices, name="notices"),
    path("ca-nhan/ho-so-nhap/<int:pk>/", applying.draft, name="draft"),
    path("ca-nhan/ho-so-nhap/<int:pk>/xoa/", applying.discard, name="discard"),
    path("ca-nhan/ho-so-nhap/<int:pk>/tep/<int:file_id>/xoa/", applying.remove_file, name="remove-file"),
    path("ca-nhan/ho-so/<int:pk>/", views.own_dossier, name="dossier"),
    path("phan-anh-kien-nghi/", views.feedback, name="feedback"),
    path("phan-anh-kien-nghi/tra-cuu/", lookup.feedback_lookup, name="feedback-lookup"),
    path("phan-anh-kien-nghi/xu-ly/", views.feedback_inbox, name="feedback-inbox"),
    path("phan-anh-kien-nghi/xu-ly/<int:pk>/", views.feedback_answer, name="feedback-answer"),
    path("tin-tuc/", views.news, name="news"),
    path("tin-tuc/<slug:slug>/", views.article, name="article"),
    path("ket-qua/", results.results, name="results"),
    path("ket-qua/bao-cao/<int:pk>/", results.signed_report, name="signed-report"),
]
