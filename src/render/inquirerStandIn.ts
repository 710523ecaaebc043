/** What node-plop gets instead of inquirer inside picofun (see plopHooks.ts). */
async function prompt(): Promise<never> {
  throw new Error("picofun runs plop generators with answers, never with prompts");
}

const standIn = {
  registerPrompt(): void {},
  prompt: Object.assign(prompt, { prompts: {} as Record<string, unknown> }),
};

export default standIn;
