/**
 * The folders the wizard writes into, checked by the rules `generate` applies to output folders
 * (src/write/guard.ts): never a file-system root, the home folder, a folder holding it, or a folder
 * above the current one (a project or output folder there would spread picofun's files over
 * everything below it). The output folder may not be above the project folder either.
 */
import { folderProblem } from "../write/guard.js";
import { UserError } from "../util/errors.js";

const CURRENT = "current folder";

/** Why `projectDir` cannot be the new project's folder, or undefined. */
export function projectDirProblem(projectDir: string, cwd: string): string | undefined {
  return folderProblem(projectDir, "project folder", "choose a folder of its own, such as ./my-api", [{ path: cwd, label: CURRENT }]);
}

/** Why `outputDir` cannot be the folder of the generated files, or undefined. */
export function outputDirProblem(outputDir: string, projectDir: string, cwd: string): string | undefined {
  return folderProblem(outputDir, "output folder", "choose a folder of its own, such as output", [
    { path: projectDir, label: "project folder" },
    { path: cwd, label: CURRENT },
  ]);
}

/** Throws the first folder problem as one line (--yes and a folder named on the command line). */
export function checkFolders(projectDir: string, outputDir: string | undefined, cwd: string): void {
  const problem = projectDirProblem(projectDir, cwd) ?? (outputDir === undefined ? undefined : outputDirProblem(outputDir, projectDir, cwd));
  if (problem) throw new UserError(problem);
}
