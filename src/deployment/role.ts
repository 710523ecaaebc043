/**
 * The functions' role and its exact statements, IaC-neutral: actions, the resources by neutral
 * reference (this module's log groups, the credential stores, their key) and the deploy-time
 * setting each policy depends on. Every emitter renders these and nothing else, so a new kind or
 * feature adds a statement here (or in the policy list its kind builds) and both IaC follow.
 */
/**
 * A resource a role statement names: `logGroups` this module's log groups (the shared one, or every
 * function's), `any` "*" (actions AWS does not scope to resources), `credentials` every credential
 * parameter or secret, `writeBackCredentials` those a rotated refresh token is written back to,
 * `credentialsKey` the KMS key of the credentials.
 */
export type RoleResource = "logGroups" | "any" | "credentials" | "writeBackCredentials" | "credentialsKey";

/** A deploy-time setting a policy applies under: X-Ray tracing on, the functions in a VPC. */
export type RoleCondition = "xrayTracing" | "vpc";

export interface RoleStatement {
  sid?: string;
  /** One line on why the statement is there (a comment where the IaC has them). */
  purpose?: string;
  actions: string[];
  resources: RoleResource[];
  /** Only through the credentials' store (`kms:ViaService` of SSM or Secrets Manager in the region). */
  viaCredentialStore?: boolean;
}

/** One policy of the role: its name, the statements, when it applies. */
export interface RolePolicy {
  name: string;
  /** One line on why the policy is there. */
  purpose: string;
  /** Absent: always. */
  when?: RoleCondition;
  /** AWS's managed policy an emitter may attach for these actions (or a construct that grants them itself). */
  awsManagedPolicy?: string;
  /** Why some resource is `any` (review tools ask). */
  unscoped?: string;
  statements: RoleStatement[];
}

/** The network interface actions Lambda needs to attach functions to subnets. */
export const VPC_ACTIONS = [
  "ec2:AssignPrivateIpAddresses",
  "ec2:CreateNetworkInterface",
  "ec2:DeleteNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets",
  "ec2:UnassignPrivateIpAddresses",
];

/** The policies of every function role: logs to its own log groups, the VPC's network interfaces, X-Ray. */
export function functionRolePolicies(): RolePolicy[] {
  return [
    {
      name: "logs",
      purpose: "Logs only to this module's own log groups (AWSLambdaBasicExecutionRole would allow every log group).",
      statements: [{ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: ["logGroups"] }],
    },
    {
      name: "vpc",
      purpose: "Only what Lambda needs to attach the functions to the VPC (AWSLambdaVPCAccessExecutionRole would also allow writing to every log group).",
      when: "vpc",
      unscoped: "EC2 does not scope these network interface actions to resources.",
      statements: [{ actions: VPC_ACTIONS, resources: ["any"] }],
    },
    {
      name: "xray",
      purpose: "Traces to X-Ray when tracing is on.",
      when: "xrayTracing",
      awsManagedPolicy: "AWSXRayDaemonWriteAccess",
      unscoped: "X-Ray's PutTraceSegments and PutTelemetryRecords take no resource ARN.",
      statements: [{ actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["any"] }],
    },
  ];
}

/** The policy that reads (and, for rotating refresh tokens, writes back) exactly the credentials of the stores. */
export function credentialsPolicy(c: { store: "ssm" | "secretsmanager"; writeBackTypes: string[] }): RolePolicy {
  const ssm = c.store !== "secretsmanager";
  const statements: RoleStatement[] = [
    { sid: "ReadCredentials", actions: [ssm ? "ssm:GetParameter" : "secretsmanager:GetSecretValue"], resources: ["credentials"] },
    { sid: "DecryptCredentials", actions: ["kms:Decrypt"], resources: ["credentialsKey"], viaCredentialStore: true },
  ];
  if (c.writeBackTypes.length) {
    statements.push(
      {
        sid: "WriteRotatedRefreshToken",
        purpose: "A rotated OAuth2 refresh token is written back, to exactly the parameter it came from.",
        actions: [ssm ? "ssm:PutParameter" : "secretsmanager:PutSecretValue"],
        resources: ["writeBackCredentials"],
      },
      { sid: "EncryptRotatedRefreshToken", actions: [ssm ? "kms:Encrypt" : "kms:GenerateDataKey"], resources: ["credentialsKey"], viaCredentialStore: true },
    );
  }
  return { name: "credentials", purpose: "Reads and decrypts exactly these credentials, nothing else under the prefix.", statements };
}

/** Whether a policy names the credential stores (emitters put it beside them). */
export function namesCredentials(p: RolePolicy): boolean {
  return p.statements.some((s) => s.resources.some((r) => r !== "logGroups" && r !== "any"));
}
