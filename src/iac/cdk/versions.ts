/**
 * The packages a generated CDK app installs (exact versions: the CLI must understand the cloud
 * assembly aws-cdk-lib writes). Every engine here accepts Node 20.
 */
export const CDK_DEPENDENCIES: Record<string, string> = {
  "aws-cdk-lib": "2.276.0",
  constructs: "10.8.1",
};

export const CDK_DEV_DEPENDENCIES: Record<string, string> = {
  "@types/node": "20.19.43",
  "aws-cdk": "2.1148.1",
  tsx: "4.23.15",
  typescript: "5.9.3",
};
