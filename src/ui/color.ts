import chalk from "chalk";

/** chalk ignores NO_COLOR; picofun honours it. */
if (process.env.NO_COLOR) chalk.level = 0;

export { chalk };
