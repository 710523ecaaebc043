import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCerts {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** Why certificates cannot be made here (no openssl), or undefined. */
export function missingOpenssl(): string | undefined {
  return spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0 ? undefined : "openssl is not installed";
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A throw-away CA, a server certificate for 127.0.0.1 and a client certificate (CN=picorun-client). */
export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "picofun-certs-"));
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    ["req", "-x509", ...key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=picofun test CA",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    dir,
  );
  for (const [name, cn, usage, san] of [
    ["server", "127.0.0.1", "serverAuth", "subjectAltName=IP:127.0.0.1\n"],
    ["client", "picorun-client", "clientAuth", ""],
  ]) {
    writeFileSync(
      join(dir, `${name}.ext`),
      `${san}basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${usage}\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n`,
    );
    openssl(["req", ...key, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`], dir);
    openssl(
      ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.pem`, "-days", "2", "-extfile", `${name}.ext`],
      dir,
    );
  }
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  return { ca: read("ca.pem"), serverCert: read("server.pem"), serverKey: read("server.key"), clientCert: read("client.pem"), clientKey: read("client.key") };
}
