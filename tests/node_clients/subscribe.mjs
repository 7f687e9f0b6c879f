// Subscribes with the graphql-sse client ("distinct connections" mode, as a frontend would)
// and prints one JSON line per result: {"next": result}, then {"complete": true} or
// {"error": "..."}. It stops after `count` results, or when the server ends the stream.
//
//   node subscribe.mjs <url> <token> <count> <query> [variables as JSON]
import { createClient } from 'graphql-sse';

const [url, token, count, query, variables = '{}'] = process.argv.slice(2);
const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');

const client = createClient({
  url,
  headers: { Authorization: `Bearer ${token}` },
  retryAttempts: 0, // a refusal must show, not be retried
});

let received = 0;
await new Promise((resolve) => {
  const dispose = client.subscribe(
    { query, variables: JSON.parse(variables) },
    {
      next: (result) => {
        print({ next: result });
        received += 1;
        if (received >= Number(count)) {
          dispose();
          resolve();
        }
      },
      error: (error) => {
        print({ error: String(error) });
        resolve();
      },
      complete: () => {
        print({ complete: true });
        resolve();
      },
    },
  );
});
client.dispose();
