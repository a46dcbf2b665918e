// The cdktf app (`cdktf synth`, `cdktf deploy <env>`): one stack per `variables/<env>`.
// Config is validated before any construct exists, so an invalid tree writes nothing.
import { App } from "cdktf";
import { ConstructError } from "../modules/core/construct-error.js";
import { ConfigError } from "./config/errors.js";
import { loadEnvironments, variablesDir } from "./config/load.js";
import { buildApp } from "./synth.js";

try {
  const environments = loadEnvironments(variablesDir());
  const app = new App({ stackTraces: false });
  buildApp(app, environments);
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ConstructError)) throw error;
  console.error(error.message);
  process.exit(1);
}
