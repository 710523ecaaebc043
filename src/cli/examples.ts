import type { Command } from "commander";
import { commandPath } from "./parserErrors.js";

/** Examples shown at the end of each command's --help, keyed by the command's path. */
const EXAMPLES: Record<string, string[]> = {
  picofun: [
    "picofun orders openapi.yaml                  generate from a spec into ./output",
    "picofun                                      generate from picofun.toml",
    "picofun init my-api                          start a project (asks questions)",
  ],
  "picofun generate": [
    "picofun generate                             everything from picofun.toml",
    "picofun generate shop openapi.yaml -o out    without a picofun.toml",
    "picofun generate --yes --server-url https://staging.example.com",
  ],
  "picofun init": [
    "picofun init my-api",
    "picofun init my-api --yes --spec openapi.yaml --namespace shop",
    'picofun init --yes --spec https://example.com/openapi.json --endpoints "tag:orders,GET /items"',
  ],
  "picofun add endpoint": [
    "picofun add endpoint                         search the spec's operations",
    'picofun add endpoint getOrder "POST /orders" tag:catalog "/items/**"',
  ],
  "picofun remove endpoint": [
    "picofun remove endpoint getOrder             no question for an explicit selector",
    'picofun rm endpoint "/orders/*" --yes         a glob asks first unless --yes',
  ],
  "picofun list endpoints": ["picofun list endpoints", "picofun list endpoints --json | jq '.[] | select(.included)'"],
  "picofun lint": ["picofun lint openapi.yaml", "picofun lint openapi.yaml --format json"],
  "picofun sync": ["picofun sync", "picofun sync --watch --debounce 500"],
  "picofun templates list": ["picofun templates list"],
  "picofun serve": ["picofun serve                                the api kind on http://127.0.0.1:3000", "picofun serve --port 8080 --api-key dev-key"],
  "picofun invoke": [
    "picofun invoke getOrder --event '{\"path\": {\"orderId\": \"o-1\"}}'",
    "picofun invoke \"GET /orders\" --event-file events/orders_get_orders.json --server-url http://127.0.0.1:4010",
  ],
  "picofun events": ["picofun events                               an example event per function in events/", "picofun events getOrder tag:catalog"],
  "picofun completion": ["picofun completion bash > /etc/bash_completion.d/picofun", "picofun completion zsh > \"${fpath[1]}/_picofun\""],
  "picofun templates eject": [
    "picofun templates eject                      the templates of the project's kind",
    "picofun templates eject client/handler.py.hbs",
    "picofun templates eject --all",
  ],
};

/** Adds an "Examples:" block to the --help of every command that has examples. */
export function applyHelpExamples(root: Command): void {
  const visit = (cmd: Command): void => {
    const examples = EXAMPLES[commandPath(cmd)];
    if (examples) cmd.addHelpText("after", `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`);
    cmd.commands.forEach(visit);
  };
  visit(root);
}
