"""GraphiQL for browsers on ``/graphql``, working offline.

``page`` renders our page (a product-specific default query, the example operations of
``graphql/operations/``, one token field for HTTP and WebSocket) under a Content-Security-Policy
that allows scripts from the server only; ``assets`` serves its browser files from
``assets/`` (GraphiQL, React, the explorer plugin and the graphql-ws client, copied from npm
by ``scripts/build_graphiql``; see ``assets/vendor/SOURCES.md``) and our own
``assets/espace-graphiql.js``. Nothing is loaded from a CDN.
"""

from espace.graphiql.assets import Assets
from espace.graphiql.page import GraphiQLPage

__all__ = ["Assets", "GraphiQLPage"]
