/**
 * picofun's plopfile: registers the generators that turn a file plan into rendered files.
 * picofun runs it through node-plop with answers it computed itself (there are no plop prompts);
 * `plop --plopfile plopfile.ts` lists the same generators.
 */
import type { NodePlopAPI } from "node-plop";
import { registerRenderAction } from "./generators/renderAction.js";
import { clientGenerator } from "./generators/client.js";
import { apiGenerator } from "./generators/api.js";

export default function plopfile(plop: NodePlopAPI): void {
  registerRenderAction(plop);
  plop.setGenerator("client", clientGenerator);
  plop.setGenerator("api", apiGenerator);
}
