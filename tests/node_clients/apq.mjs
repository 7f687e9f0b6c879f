// Apollo Client with its persisted-queries link (APQ), as a frontend sets it up: runs one
// query twice and prints one JSON line with both results and every HTTP exchange.
//
//   node apq.mjs <url> [get]   ("get": useGETForHashedQueries)
import { createHash } from 'node:crypto';

import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';

const [url, mode] = process.argv.slice(2);
const exchanges = [];

async function loggingFetch(input, init = {}) {
  const response = await fetch(input, init);
  const body = await response.clone().text();
  const sent = init.body ? JSON.parse(init.body) : Object.fromEntries(new URL(input).searchParams);
  exchanges.push({
    method: init.method ?? 'GET',
    withQuery: typeof sent.query === 'string',
    withHash: JSON.stringify(sent.extensions ?? '').includes('sha256Hash'),
    status: response.status,
    body: JSON.parse(body),
  });
  return response;
}

const link = createPersistedQueryLink({
  sha256: (text) => createHash('sha256').update(text).digest('hex'),
  useGETForHashedQueries: mode === 'get',
}).concat(new HttpLink({ uri: url, fetch: loggingFetch }));
const client = new ApolloClient({ link, cache: new InMemoryCache() });

const query = gql`
  query Communes($postalCode: String!) {
    communes(postalCode: $postalCode) { inseeCode name }
  }
`;
const run = () =>
  client.query({ query, variables: { postalCode: '22200' }, fetchPolicy: 'network-only' });
const first = await run();
const second = await run();
process.stdout.write(JSON.stringify({ first: first.data, second: second.data, exchanges }) + '\n');
