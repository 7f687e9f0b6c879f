/*
 * Espace Candidat's GraphiQL page (our code; the libraries are in vendor/, see SOURCES.md).
 *
 * - One token field: its token goes in the Authorization header of HTTP requests and in the
 *   connection_init payload of the WebSocket, so subscriptions work with the token typed once.
 *   An Authorization header written in the tab's « Headers » editor wins over the field.
 * - Subscriptions run over graphql-transport-ws (the graphql-ws client), queries and
 *   mutations over HTTP.
 * - « Exemples »: the operations of graphql/operations/, each opened in a new tab.
 * - A response that carries a token (sessionCreate) offers « Utiliser le jeton reçu ».
 *
 * Plain script, no build step: React.createElement instead of JSX.
 */
(function () {
  "use strict";

  var h = React.createElement;
  var config = JSON.parse(document.getElementById("espace-graphiql-config").textContent);
  var TOKEN_KEY = "espace-graphiql:token";
  var KIND_LABELS = { query: "requête", mutation: "mutation", subscription: "abonnement" };

  // --- the token ---------------------------------------------------------------------

  var token = {
    value: readStored(),
    received: null,
    listeners: [],
    set: function (value) {
      token.value = value;
      try {
        if (value) sessionStorage.setItem(TOKEN_KEY, value);
        else sessionStorage.removeItem(TOKEN_KEY);
      } catch (e) {
        /* storage refused (private mode): the token lives in this page only */
      }
      token.notify();
    },
    receive: function (value) {
      token.received = value;
      token.notify();
    },
    notify: function () {
      token.listeners.forEach(function (listener) {
        listener();
      });
    },
  };

  function readStored() {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || "";
    } catch (e) {
      return "";
    }
  }

  /** The Authorization value for a request: the tab's header if any, else the field's. */
  function authorization(headers) {
    for (var name in headers || {}) {
      if (name.toLowerCase() === "authorization" && headers[name]) return String(headers[name]);
    }
    var typed = token.value.trim();
    if (!typed) return null;
    return /^bearer\s/i.test(typed) ? typed : "Bearer " + typed;
  }

  /** The first string under a "token" key in a response's data (sessionCreate's). */
  function findToken(value, depth) {
    if (!value || typeof value !== "object" || depth > 6) return null;
    for (var key in value) {
      if (key === "token" && typeof value[key] === "string" && value[key]) return value[key];
      var found = findToken(value[key], depth + 1);
      if (found) return found;
    }
    return null;
  }

  // --- the fetcher: HTTP for queries and mutations, WebSocket for subscriptions --------

  // Plain JSON responses (the server does not stream @defer): a promise of the body.
  var http = GraphiQL.createFetcher({ url: config.url, enableIncrementalDelivery: false });
  var socket = null; // { auth, client }: one graphql-ws client per Authorization value

  function wsClient(auth) {
    if (socket && socket.auth === auth) return socket.client;
    if (socket) socket.client.dispose();
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var client = graphqlWs.createClient({
      url: scheme + location.host + config.url,
      lazy: true,
      retryAttempts: 2,
      // A refusal by the server (4xxx: bad token, bad request…) is final.
      shouldRetry: function (event) {
        return !(event && typeof event.code === "number" && event.code >= 4000);
      },
      connectionParams: auth ? { Authorization: auth } : {},
    });
    socket = { auth: auth, client: client };
    return client;
  }

  /** The operation to run is a subscription (parsed from the text sent: GraphiQL's own
   * parse of the editor lags behind a document that was just loaded). */
  function isSubscription(params) {
    var graphql = GraphiQL.GraphQL;
    var document;
    try {
      document = graphql.parse(params.query);
    } catch (e) {
      return false; // the server answers the syntax error
    }
    var operation = graphql.getOperationAST(document, params.operationName || undefined);
    return Boolean(operation) && operation.operation === "subscription";
  }

  function describe(error) {
    if (Array.isArray(error)) return error; // GraphQL errors of an `error` message
    if (error && typeof error.code === "number" && "reason" in error) {
      return new Error(
        "Connexion WebSocket fermée (" + error.code + ")" + (error.reason ? " : " + error.reason : "")
      );
    }
    if (error instanceof Error) return error;
    return new Error("Connexion WebSocket impossible : le serveur est-il joignable ?");
  }

  function subscribe(params, auth) {
    var client = wsClient(auth);
    return {
      subscribe: function (observer) {
        var dispose = client.subscribe(
          {
            query: params.query,
            variables: params.variables || {},
            operationName: params.operationName || undefined,
          },
          {
            next: function (value) {
              observer.next(value);
            },
            error: function (error) {
              observer.error(describe(error));
            },
            complete: function () {
              observer.complete();
            },
          }
        );
        return { unsubscribe: dispose };
      },
    };
  }

  function fetcher(params, opts) {
    var headers = Object.assign({}, (opts && opts.headers) || {});
    var auth = authorization(headers);
    if (isSubscription(params)) return subscribe(params, auth);
    if (auth) {
      Object.keys(headers).forEach(function (name) {
        if (name.toLowerCase() === "authorization") delete headers[name];
      });
      headers.Authorization = auth;
    }
    var result = http(params, Object.assign({}, opts, { headers: headers }));
    if (result && typeof result.then === "function") {
      result.then(function (body) {
        var found = body && findToken(body.data, 0);
        if (found && found !== token.value) token.receive(found);
      }, function () {});
    }
    return result;
  }

  // --- « Exemples »: the operations of graphql/operations/ ------------------------------

  function openExample(editor, operation) {
    editor.addTab();
    // addTab fills the editors with the new tab's defaults; ours go in just after.
    setTimeout(function () {
      if (editor.queryEditor) editor.queryEditor.setValue(operation.document);
      if (editor.variableEditor) editor.variableEditor.setValue("{}");
      // Run the file's first operation even if ▶ is pressed before GraphiQL re-reads it.
      if (editor.setOperationName && operation.operationNames.length) {
        editor.setOperationName(operation.operationNames[0]);
      }
    }, 0);
  }

  function Examples() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    var state = React.useState("");
    var filter = state[0].trim().toLowerCase();
    var shown = config.operations.filter(function (operation) {
      return !filter || operation.name.toLowerCase().indexOf(filter) >= 0;
    });
    return h(
      "section",
      { className: "espace-examples", "aria-label": "Exemples d'opérations" },
      h("div", { className: "graphiql-doc-explorer-title" }, "Exemples"),
      h(
        "p",
        { className: "espace-examples-intro" },
        "Les opérations d'exemple du dépôt (graphql/operations/). Un clic en ouvre une dans un nouvel onglet."
      ),
      h("input", {
        type: "search",
        className: "espace-examples-filter",
        placeholder: "Filtrer…",
        "aria-label": "Filtrer les exemples",
        value: state[0],
        onChange: function (event) {
          state[1](event.target.value);
        },
      }),
      h(
        "ul",
        { className: "espace-examples-list" },
        shown.map(function (operation) {
          return h(
            "li",
            { key: operation.name },
            h(
              "button",
              {
                type: "button",
                className: "espace-example",
                "data-operation": operation.name,
                onClick: function () {
                  openExample(editor, operation);
                },
              },
              h("span", { className: "espace-example-name" }, operation.name),
              h(
                "span",
                { className: "espace-example-kinds" },
                operation.kinds
                  .map(function (kind) {
                    return KIND_LABELS[kind] || kind;
                  })
                  .join(", ")
              )
            )
          );
        })
      )
    );
  }

  function ExamplesIcon() {
    return h(
      "svg",
      { viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 1.5, "aria-hidden": true },
      h("path", { d: "M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01", strokeLinecap: "round" })
    );
  }

  var examplesPlugin = { title: "Exemples", icon: ExamplesIcon, content: Examples };
  var plugins = [examplesPlugin, GraphiQLPluginExplorer.explorerPlugin()];

  // --- the page --------------------------------------------------------------------

  function TokenBar() {
    var update = React.useState(0)[1];
    React.useEffect(function () {
      var listener = function () {
        update(function (n) {
          return n + 1;
        });
      };
      token.listeners.push(listener);
      return function () {
        token.listeners.splice(token.listeners.indexOf(listener), 1);
      };
    }, []);
    var offer = token.received && token.received !== token.value;
    return h(
      "header",
      { className: "espace-bar" },
      h("a", { className: "espace-home", href: "/" }, "Espace Candidat"),
      h("label", { htmlFor: "espace-token" }, "Jeton"),
      h("input", {
        id: "espace-token",
        type: "text",
        autoComplete: "off",
        spellCheck: false,
        placeholder: "collez ici le jeton de sessionCreate",
        value: token.value,
        onChange: function (event) {
          token.set(event.target.value);
        },
      }),
      token.value
        ? h(
            "button",
            { type: "button", onClick: function () { token.set(""); } },
            "Effacer"
          )
        : null,
      offer
        ? h(
            "button",
            {
              type: "button",
              className: "espace-use-token",
              onClick: function () {
                token.set(token.received);
              },
            },
            "Utiliser le jeton reçu"
          )
        : null,
      h(
        "span",
        { className: "espace-bar-hint" },
        token.value
          ? "Envoyé en HTTP (Authorization) et au WebSocket (connection_init)."
          : "Sans jeton : requêtes anonymes, pas d'abonnement."
      )
    );
  }

  function App() {
    var props = {
      fetcher: fetcher,
      plugins: plugins,
      defaultQuery: config.defaultQuery,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
    };
    if (location.hash === "#docs") props.visiblePlugin = GraphiQL.React.DOC_EXPLORER_PLUGIN;
    return h(
      React.Fragment,
      null,
      h(TokenBar),
      h("main", { className: "espace-graphiql-main" }, h(GraphiQL, props))
    );
  }

  ReactDOM.createRoot(document.getElementById("espace-graphiql")).render(h(App));
})();
