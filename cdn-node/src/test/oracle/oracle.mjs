// Differential oracle for cdn-node's interop tests. Reads one JSON array of jobs on stdin and
// prints one JSON array of results, so a test run starts node once. Jobs:
//   {op: "cid", file, profile}                      -> {cid}         ipfs-unixfs-importer with an IPIP-0499 profile
//   {op: "cid", file, cidVersion, rawLeaves, chunkSize, maxLinks} -> {cid}   the same with explicit layout parameters
//   {op: "pack", file, profile, out}                -> {cid}         a CARv1 written by @ipld/car (root, then blocks in import order)
//   {op: "car", file}                               -> {version, roots, blocks: [cid...]}  @ipld/car's reader, every block re-hashed
//   {op: "parse", cid}                              -> {version, code, hashCode, digest, base32, base58btc, base36}  multiformats' CID
import { readFile, writeFile } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { CarReader, CarWriter } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { identity } from 'multiformats/hashes/identity'
import { base32 } from 'multiformats/bases/base32'
import { base58btc } from 'multiformats/bases/base58'
import { base36 } from 'multiformats/bases/base36'

function options (job) {
  if (job.profile) return { profile: job.profile }
  return {
    cidVersion: job.cidVersion,
    rawLeaves: job.rawLeaves,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: job.chunkSize }),
    layout: balanced({ maxChildrenPerNode: job.maxLinks })
  }
}

async function importFile (job, blockstore) {
  let root
  for await (const entry of importer([{ content: createReadStream(job.file) }], blockstore, options(job))) {
    root = entry.cid
  }
  return root
}

const discard = { put: async (cid) => cid }

async function run (job) {
  switch (job.op) {
    case 'cid':
      return { cid: (await importFile(job, discard)).toString() }
    case 'pack': {
      const blocks = []
      const collect = { put: async (cid, bytes) => { blocks.push({ cid, bytes }); return cid } }
      const root = await importFile(job, collect)
      const { writer, out } = CarWriter.create([root])
      const chunks = []
      const drain = (async () => { for await (const chunk of out) chunks.push(chunk) })()
      for (const block of blocks) await writer.put(block)
      await writer.close()
      await drain
      await writeFile(job.out, Buffer.concat(chunks))
      return { cid: root.toString() }
    }
    case 'car': {
      const reader = await CarReader.fromBytes(await readFile(job.file))
      const blocks = []
      for await (const { cid, bytes } of reader.blocks()) {
        const hasher = cid.multihash.code === sha256.code ? sha256 : identity
        const digest = await hasher.digest(bytes)
        if (Buffer.compare(Buffer.from(digest.bytes), Buffer.from(cid.multihash.bytes)) !== 0) {
          throw new Error(`block ${cid} does not match its hash`)
        }
        blocks.push(cid.toString())
      }
      return { version: reader.version, roots: (await reader.getRoots()).map(String), blocks }
    }
    case 'parse': {
      const cid = CID.parse(job.cid, job.cid.startsWith('k') ? base36 : undefined)
      const v1 = cid.toV1()
      return {
        version: cid.version,
        code: cid.code,
        hashCode: cid.multihash.code,
        digest: Buffer.from(cid.multihash.digest).toString('hex'),
        base32: v1.toString(base32),
        base58btc: v1.toString(base58btc),
        base36: v1.toString(base36)
      }
    }
    default:
      throw new Error(`unknown op ${job.op}`)
  }
}

const input = JSON.parse(await new Promise((resolve, reject) => {
  let text = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk) => { text += chunk })
  process.stdin.on('end', () => resolve(text))
  process.stdin.on('error', reject)
}))
const results = []
for (const job of input) {
  try {
    results.push(await run(job))
  } catch (err) {
    results.push({ error: String(err && err.message ? err.message : err) })
  }
}
process.stdout.write(JSON.stringify(results))
