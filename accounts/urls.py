from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password-change"),
    path("account/password/reset/", views.password_reset, name="password-reset"),
    path(
        "account/password/reset/<str:token>/",
        views.password_reset_link,
        name="password-reset-link",
    ),
    path("account/two-factor/", views.two_factor, name="two-factor"),
    path("account/two-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("account/two-factor/turn-off/", views.two_factor_off, name="two-factor-off"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("account/session/", views.session, name="session"),
    path("account/second-factor-resets/", views.second_factor_resets, name="second-factor-resets"),
]
