import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface ComposeService {
  image: string;
  cap_add: string[];
  security_opt: string[];
  ulimits: { memlock: { soft: number; hard: number } };
  environment: Record<string, string>;
  ports: string[];
  volumes: string[];
  healthcheck: { test: string[] };
}

const composeText = readFileSync('server/docker-compose.yml', 'utf8');
const compose = parse(composeText) as {
  services: { iggy: ComposeService };
  volumes: Record<string, unknown>;
};
const iggy = compose.services.iggy;

// These are the settings iggy-facts.md says a 0.9.0 container cannot run (or cannot be reached) without.
describe('server/docker-compose.yml', () => {
  it('pins the server that speaks this client’s protocol (0.11)', () => {
    expect(iggy.image).toBe('apache/iggy:0.9.0');
  });

  it('grants what io_uring and core pinning need', () => {
    expect(iggy.cap_add).toContain('SYS_NICE');
    expect(iggy.security_opt).toContain('seccomp:unconfined');
    expect(iggy.ulimits.memlock).toEqual({ soft: -1, hard: -1 });
  });

  it('listens on all interfaces, advertises an address and avoids the NUMA boot failure', () => {
    expect(iggy.environment.IGGY_TCP_ADDRESS).toBe('0.0.0.0:8090');
    expect(iggy.environment.IGGY_HTTP_ADDRESS).toBe('0.0.0.0:3000');
    expect(iggy.environment.IGGY_WEBSOCKET_ADDRESS).toBe('0.0.0.0:8092');
    expect(iggy.environment.IGGY_NODE_ADVERTISED_ADDRESS).toMatch(/localhost/);
    expect(iggy.environment.IGGY_SHARDING_CPU_ALLOCATION).toBe('all');
    // Edge-era key names abort a 0.9.0 boot.
    expect(Object.keys(iggy.environment).filter((key) => key.startsWith('IGGY_SYSTEM_'))).toEqual([]);
  });

  it('takes root credentials from the environment with iggy/iggy defaults', () => {
    expect(iggy.environment.IGGY_ROOT_USERNAME).toBe('${IGGY_ROOT_USERNAME:-iggy}');
    expect(iggy.environment.IGGY_ROOT_PASSWORD).toBe('${IGGY_ROOT_PASSWORD:-iggy}');
  });

  it('publishes TCP 8090, HTTP on host 8080 (keeping 3000 for the app) and WebSocket 8092', () => {
    expect(iggy.ports).toEqual(['8090:8090', '8080:3000', '8092:8092']);
    expect(iggy.ports.some((port) => port.startsWith('3000:'))).toBe(false);
  });

  it('persists to where the official image keeps its data', () => {
    expect(iggy.volumes).toEqual(['iggy-data:/app/local_data']);
    expect(compose.volumes).toHaveProperty('iggy-data');
  });

  it('has a healthcheck that uses the CLI bundled in the image', () => {
    expect(iggy.healthcheck.test).toEqual([
      'CMD',
      '/usr/local/bin/iggy',
      '--tcp-server-address',
      '127.0.0.1:8090',
      'ping',
    ]);
  });

  const composeAvailable = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
  it.runIf(composeAvailable)('validates with docker compose config', () => {
    const result = spawnSync('docker', ['compose', '-f', 'server/docker-compose.yml', 'config', '--quiet'], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
