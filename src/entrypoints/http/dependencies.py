"""Litestar `Provide` functions: the container lives on app.state and hands out use cases."""

from litestar.datastructures import State
from litestar.di import Provide

from application.catalog.manage_products import GetProduct, ListCategories
from application.events.record import RecordEvent, RecordImpression
from application.identity.accounts import ChangePassword, Login, Logout, Signup
from application.recommendations.use_cases import ViewProduct
from application.search.search_products import SearchProducts
from application.search.suggest import SuggestCompletions
from application.shoppers.on_event import RefreshProfileOnEvent
from entrypoints.container import Container


def container_of(state: State) -> Container:
    container: Container = state.container
    return container


def provide_search(state: State) -> SearchProducts:
    return container_of(state).search_products()


def provide_suggest(state: State) -> SuggestCompletions:
    return container_of(state).suggest()


def provide_get_product(state: State) -> GetProduct:
    return container_of(state).get_product()


def provide_view_product(state: State) -> ViewProduct:
    return container_of(state).view_product()


def provide_list_categories(state: State) -> ListCategories:
    return container_of(state).list_categories()


def provide_signup(state: State) -> Signup:
    return container_of(state).signup()


def provide_login(state: State) -> Login:
    return container_of(state).login()


def provide_logout(state: State) -> Logout:
    return container_of(state).logout()


def provide_change_password(state: State) -> ChangePassword:
    return container_of(state).change_password()


def provide_record_event(state: State) -> RecordEvent:
    return container_of(state).record_event()


def provide_refresh_profile_on_event(state: State) -> RefreshProfileOnEvent:
    return container_of(state).refresh_profile_on_event()


def provide_record_impression(state: State) -> RecordImpression:
    return container_of(state).record_impression()


DEPENDENCIES = {
    "record_event": Provide(provide_record_event, sync_to_thread=False),
    "record_impression": Provide(provide_record_impression, sync_to_thread=False),
    "refresh_profile_on_event": Provide(provide_refresh_profile_on_event, sync_to_thread=False),
    "search_products": Provide(provide_search, sync_to_thread=False),
    "suggest": Provide(provide_suggest, sync_to_thread=False),
    "get_product": Provide(provide_get_product, sync_to_thread=False),
    "view_product": Provide(provide_view_product, sync_to_thread=False),
    "list_categories": Provide(provide_list_categories, sync_to_thread=False),
    "signup": Provide(provide_signup, sync_to_thread=False),
    "login": Provide(provide_login, sync_to_thread=False),
    "logout": Provide(provide_logout, sync_to_thread=False),
    "change_password": Provide(provide_change_password, sync_to_thread=False),
}
