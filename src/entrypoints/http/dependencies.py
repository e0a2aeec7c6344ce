"""How handlers get use cases: the container lives on app.state, and each controller declares once
which of its providers it uses (`dependencies = from_container(...)`).

A dependency is named after its container provider, so a handler's parameter `search_products`
receives `container.search_products()`. Litestar's own `Provide` does the injection:
dependency-injector's `@inject` does not work on Litestar handlers.
"""

from collections.abc import Callable

from litestar.datastructures import State
from litestar.di import Provide

from entrypoints.container import Container


def container_of(state: State) -> Container:
    container: Container = state.container
    return container


def from_container(*names: str) -> dict[str, Provide]:
    """Litestar dependencies for these container providers, each under the provider's name."""
    unknown = [name for name in names if name not in Container.providers]
    if unknown:
        raise ValueError(f"the container has no provider named {', '.join(unknown)}")
    return {name: Provide(_provider(name), sync_to_thread=False) for name in names}


def _provider(name: str) -> Callable[[State], object]:
    def provide(state: State) -> object:
        return getattr(container_of(state), name)()

    return provide
