// PostGraphile V5 on the bench database: the throughput yardstick (see bench/yardstick.py).
// DATABASE_URL is a plain postgresql:// URL; the pool matches ours (10 + 10 overflow = 20).
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 20 },
    }),
  ],
  grafserv: {
    graphqlPath: "/graphql",
    graphiql: false,
    watch: false,
  },
};

export default preset;
