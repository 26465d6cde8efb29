"""Pages of the wallet app (namespace "wallet")."""

from django.urls import path

from wenku.wallet import views

app_name = "wallet"

urlpatterns = [
    path("me/wallet/", views.home, name="home"),
    path("me/wallet/checkin/", views.checkin, name="checkin"),
    path("me/wallet/recharge/", views.recharge, name="recharge"),
    path("me/wallet/recharge/quote.json", views.recharge_quote, name="recharge_quote"),
    path(
        "me/wallet/recharge/<str:out_trade_no>/",
        views.recharge_status,
        name="recharge_status",
    ),
    path(
        "me/wallet/recharge/<str:out_trade_no>/cancel/",
        views.recharge_cancel,
        name="recharge_cancel",
    ),
    path("me/wallet/withdraw/", views.withdraw, name="withdraw"),
    path("me/wallet/earnings/", views.earnings, name="earnings"),
    path("me/wallet/orders/", views.orders, name="orders"),
    path("documents/<int:number>/buy/", views.buy, name="buy"),
    path("documents/<int:number>/download/", views.download, name="download"),
    path("documents/<int:number>/file/<str:token>/", views.file, name="file"),
    path("wallet/notify/<slug:provider>/", views.notify, name="notify"),
    path(
        "wallet/sandbox/pay/<str:out_trade_no>/",
        views.sandbox_pay,
        name="sandbox_pay",
    ),
]
