from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("lam-viec/", views.home, name="workspace"),
    path("sau-dang-nhap/", views.after_login, name="after-login"),
    path("dang-nhap/", views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("dang-nhap/ma-xac-thuc/", views.second_step, name="second-step"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.two_factor_settings, name="two-factor"),
    path("lam-viec/can-bo/", views.officials, name="officials"),
    path("tai-khoan/dat-mat-khau/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
]
