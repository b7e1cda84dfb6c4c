// Every use AWS makes of a key policy or a resource policy of a deployed configuration, found
// by walking its resources (a synthesized stack resolved to concrete values, or a `terraform show
// -json` state), each evaluated by the IAM policy engine for exactly its principal, action and
// condition context. The emulator enforces none of these policies; AWS enforces all of them.
import { runUnsafeSimulation } from "@cloud-copilot/iam-simulate";

/** One resource with concrete values (ARNs and names resolved). */
export interface ConcreteResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, any>;
}

export interface World {
  readonly account: string;
  readonly region: string;
}

/** One request a service or role makes, and whether AWS must allow it (`expect`). */
export interface ServiceUse {
  readonly what: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string>;
  /** The key's or resource's own policy, which decides (with `identity`, for a role). */
  readonly resourcePolicy?: object;
  /** A role's identity policies; none for a service principal. */
  readonly identity: readonly object[];
  readonly expect: "Allowed" | "denied";
}

const ofType = (resources: readonly ConcreteResource[], type: string) => resources.filter((r) => r.type === type);
const parse = (policy: unknown) => (typeof policy === "string" && policy !== "" ? JSON.parse(policy) : undefined);
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
const first = (value: any) => (Array.isArray(value) ? value[0] : value);

/** A resource's ARN: a state holds it; concreteResources (helpers/iam.ts) computes it for a synthesized stack. */
export function arnOf(r: ConcreteResource): string {
  if (typeof r.values.arn === "string" && r.values.arn.startsWith("arn:")) return r.values.arn;
  throw new Error(`no ARN for ${r.address}`);
}

/** Finds every use of a key or resource policy (see the file's comment). */
export function serviceUses(resources: readonly ConcreteResource[], world: World): ServiceUse[] {
  const arn = arnOf;
  const keys = ofType(resources, "aws_kms_key").map((k) => ({ arn: arn(k), id: k.values.key_id, policy: parse(k.values.policy) }));
  const keyOf = (reference: unknown) => keys.find((k) => reference !== undefined && (reference === k.arn || reference === k.id));
  const uses: ServiceUse[] = [];
  const account = { "aws:SourceAccount": world.account };

  // CloudWatch Logs encrypts each log group with its key, naming the group in the encryption context.
  for (const group of ofType(resources, "aws_cloudwatch_log_group")) {
    const key = keyOf(group.values.kms_key_id);
    if (!key) continue;
    const logs = `logs.${world.region}.amazonaws.com`;
    for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]) {
      const context = { "kms:EncryptionContext:aws:logs:arn": arn(group) };
      uses.push({
        what: `CloudWatch Logs ${action} for ${group.values.name}`,
        principal: logs,
        action,
        resource: key.arn,
        context,
        resourcePolicy: key.policy,
        identity: [],
        expect: "Allowed",
      });
    }
    const other = {
      "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${world.region}:${world.account}:log-group:/aws/lambda/another-function`,
    };
    uses.push({
      what: `CloudWatch Logs for another log group with ${group.values.name}'s key`,
      principal: logs,
      action: "kms:GenerateDataKey",
      resource: key.arn,
      context: other,
      resourcePolicy: key.policy,
      identity: [],
      expect: "denied",
    });
  }

  // CloudWatch publishes an alarm's state changes to its topics: the topic policy, and the topic's key.
  const topics = ofType(resources, "aws_sns_topic");
  for (const alarm of ofType(resources, "aws_cloudwatch_metric_alarm")) {
    const targets = [
      ...list(alarm.values.alarm_actions),
      ...list(alarm.values.ok_actions),
      ...list(alarm.values.insufficient_data_actions),
    ];
    for (const topic of topics.filter((t) => targets.includes(arn(t)))) {
      const context = { "aws:SourceArn": arn(alarm), ...account };
      const topicPolicy = parse(ofType(resources, "aws_sns_topic_policy").find((p) => p.values.arn === arn(topic))?.values.policy);
      const name = alarm.values.alarm_name;
      uses.push({
        what: `alarm ${name} publishes to ${topic.values.name}`,
        principal: "cloudwatch.amazonaws.com",
        action: "sns:Publish",
        resource: arn(topic),
        context: { ...context, "aws:SecureTransport": "true" },
        resourcePolicy: topicPolicy,
        identity: [],
        expect: "Allowed",
      });
      const key = keyOf(topic.values.kms_master_key_id);
      for (const action of key ? ["kms:GenerateDataKey", "kms:Decrypt"] : []) {
        uses.push({
          what: `alarm ${name} ${action} with ${topic.values.name}'s key`,
          principal: "cloudwatch.amazonaws.com",
          action,
          resource: key!.arn,
          context,
          resourcePolicy: key!.policy,
          identity: [],
          expect: "Allowed",
        });
      }
    }
  }

  // S3 invokes the functions its notification names: the function's resource policy (its permissions).
  const functions = ofType(resources, "aws_lambda_function");
  const functionOf = (reference: string) =>
    functions.find((f) => reference === arn(f) || reference === f.values.function_name || reference === `${arn(f)}:$LATEST`);
  for (const notification of ofType(resources, "aws_s3_bucket_notification")) {
    const bucket = `arn:aws:s3:::${notification.values.bucket}`;
    for (const target of list(notification.values.lambda_function)) {
      const fn = functionOf(target.lambda_function_arn);
      if (!fn)
        throw new Error(`${notification.address} notifies a function that is not in the configuration: ${target.lambda_function_arn}`);
      const policy = functionPolicy(
        resources.filter((p) => p.type === "aws_lambda_permission" && functionOf(p.values.function_name) === fn),
        arn(fn),
      );
      const invoke = (source: string, expect: ServiceUse["expect"], what: string) =>
        uses.push({
          what,
          principal: "s3.amazonaws.com",
          action: "lambda:InvokeFunction",
          resource: arn(fn),
          context: { "aws:SourceArn": source, ...account },
          resourcePolicy: policy,
          identity: [],
          expect,
        });
      invoke(bucket, "Allowed", `${notification.values.bucket} invokes ${fn.values.function_name}`);
      invoke("arn:aws:s3:::someone-elses-bucket", "denied", `another bucket invokes ${fn.values.function_name}`);
    }
  }

  // What a function's role does through a queue, topic or table encrypted with a key of this configuration.
  for (const fn of functions) {
    const role = ofType(resources, "aws_iam_role").find((r) => arn(r) === fn.values.role);
    if (!role) throw new Error(`${fn.address}'s role is not in the configuration`);
    const identity = ofType(resources, "aws_iam_role_policy")
      .filter((p) => p.values.role === role.values.name || p.values.role === role.values.id)
      .map((p) => parse(p.values.policy));
    const asRole = (what: string, action: string, resource: string, resourcePolicy: object | undefined, context: Record<string, string>) =>
      uses.push({
        what: `${fn.values.function_name}: ${what}`,
        principal: arn(role),
        action,
        resource,
        context,
        resourcePolicy,
        identity,
        expect: "Allowed",
      });
    const viaKey = (what: string, keyRef: unknown, service: string, actions: string[]) => {
      const key = keyOf(keyRef);
      for (const action of key ? actions : [])
        asRole(`${action} for ${what}`, action, key!.arn, key!.policy, {
          "kms:ViaService": `${service}.${world.region}.amazonaws.com`,
          "kms:CallerAccount": world.account,
        });
    };
    const queues = ofType(resources, "aws_sqs_queue");
    const queuePolicy = (queue: ConcreteResource) =>
      parse(
        ofType(resources, "aws_sqs_queue_policy").find(
          (p) => p.values.queue_url === queue.values.url || p.values.queue_url === queue.values.id,
        )?.values.policy,
      );
    // Lambda's asynchronous invocation sends a failed event to its destination as the function's role.
    for (const config of ofType(resources, "aws_lambda_function_event_invoke_config").filter(
      (c) => functionOf(c.values.function_name) === fn,
    )) {
      const destination = first(first(config.values.destination_config)?.on_failure)?.destination;
      const queue = queues.find((q) => arn(q) === destination);
      if (!queue) continue;
      asRole(`Lambda sends a failed event to ${queue.values.name}`, "sqs:SendMessage", arn(queue), queuePolicy(queue), {
        "aws:SecureTransport": "true",
      });
      viaKey(`sending to ${queue.values.name}`, queue.values.kms_master_key_id, "sqs", ["kms:GenerateDataKey", "kms:Decrypt"]);
    }
    // An event source mapping polls its queue as the function's role.
    for (const mapping of ofType(resources, "aws_lambda_event_source_mapping").filter((m) => functionOf(m.values.function_name) === fn)) {
      const queue = queues.find((q) => arn(q) === mapping.values.event_source_arn);
      if (!queue) continue;
      for (const action of ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]) {
        asRole(`Lambda polls ${queue.values.name}`, action, arn(queue), queuePolicy(queue), { "aws:SecureTransport": "true" });
      }
      viaKey(`receiving from ${queue.values.name}`, queue.values.kms_master_key_id, "sqs", ["kms:Decrypt"]);
    }
    // The function's own calls to what a key of this configuration encrypts: the key must admit them too.
    const granted = (resource: string, prefix: string) =>
      identity.some((p: any) =>
        list(p.Statement).some(
          (s: any) =>
            s.Effect === "Allow" && list(s.Resource).includes(resource) && list(s.Action).some((a: string) => a.startsWith(prefix)),
        ),
      );
    for (const queue of queues.filter((q) => granted(arn(q), "sqs:SendMessage")))
      viaKey(`sending to ${queue.values.name}`, queue.values.kms_master_key_id, "sqs", ["kms:GenerateDataKey", "kms:Decrypt"]);
    for (const topic of topics.filter((t) => granted(arn(t), "sns:Publish")))
      viaKey(`publishing to ${topic.values.name}`, topic.values.kms_master_key_id, "sns", ["kms:GenerateDataKey", "kms:Decrypt"]);
    for (const table of ofType(resources, "aws_dynamodb_table").filter((t) => granted(arn(t), "dynamodb:"))) {
      viaKey(`the table ${table.values.name}`, first(table.values.server_side_encryption)?.kms_key_arn, "dynamodb", [
        "kms:Decrypt",
        "kms:GenerateDataKey",
      ]);
    }
  }
  return uses;
}

/** A function's resource policy as Lambda writes it from its permissions. */
function functionPolicy(permissions: readonly ConcreteResource[], functionArn: string): object {
  return {
    Version: "2012-10-17",
    Statement: permissions.map((p) => ({
      Sid: p.values.statement_id,
      Effect: "Allow",
      Principal: { Service: p.values.principal },
      Action: p.values.action,
      Resource: functionArn,
      Condition: {
        ...(p.values.source_account ? { StringEquals: { "aws:SourceAccount": p.values.source_account } } : {}),
        ...(p.values.source_arn ? { ArnLike: { "aws:SourceArn": p.values.source_arn } } : {}),
      },
    })),
  };
}

/** The policy engine's decision for one use. Its unvalidated entry point: the validated one drops `kms:EncryptionContext:<key>` context keys. */
export function decide(use: ServiceUse, world: World): string {
  const named = (policy: object, name: string) => ({ __validated: true, policyDocument: policy, metadata: { name } });
  return runUnsafeSimulation(
    {
      request: {
        principal: use.principal,
        action: use.action,
        resource: { resource: use.resource, accountId: world.account },
        contextVariables: use.context,
      },
      identityPolicies: use.identity.map((policy, i) => ({ name: `role-policy-${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: use.resourcePolicy && (named(use.resourcePolicy, "resource-policy") as any),
    } as any,
    {},
  );
}

/** Every use whose decision is not what AWS must decide, as sentences. */
export function serviceUseViolations(resources: readonly ConcreteResource[], world: World): string[] {
  return serviceUses(resources, world).flatMap((use) => {
    const decision = decide(use, world);
    const ok = use.expect === "Allowed" ? decision === "Allowed" : decision !== "Allowed";
    return ok ? [] : [`${use.what}: ${decision}, must be ${use.expect}`];
  });
}
