# bash completion for gradient-node: verbs, their flags, and deployment and workflow names read from the daemon's socket.
# Installed by install.sh as /usr/share/bash-completion/completions/gradient-node.
# shellcheck shell=bash

_gradient_node_deployments() {
  # `ls -o json` prints the deployments; the names are its "name" fields. Quietly nothing when the daemon is away.
  gradient-node ls -o json 2>/dev/null | sed -n 's/^    "name": "\(.*\)",$/\1/p'
}

_gradient_node_workflows() {
  # `workflows ls` prints a header, then one workflow (a name with no spaces) per line.
  gradient-node workflows ls 2>/dev/null | sed -n '2,$s/^\([^ ]*\) .*$/\1/p'
}

_gradient_node() {
  local cur prev verb sub i
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  verb=
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --socket | --run-dir | -o | --output | -f | --filename | --timeout | --tail | --replica) ((i++)) ;;
      -*) ;;
      *)
        verb=${COMP_WORDS[i]}
        break
        ;;
    esac
  done

  case $prev in
    -f | --filename | --inputs)
      mapfile -t COMPREPLY < <(compgen -f -X '!*.@(yaml|yml|json)' -- "$cur"; compgen -d -- "$cur")
      return
      ;;
    -o | --output)
      mapfile -t COMPREPLY < <(compgen -W "json yaml" -- "$cur")
      return
      ;;
    --socket | --run-dir | --specs-dir | --state-dir | --config)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return
      ;;
  esac

  if [ -z "$verb" ]; then
    mapfile -t COMPREPLY < <(compgen -W "up daemon proxy validate apply diff export ls get delete restart scale logs node console secrets registries models datasets workflows fetch schema tls version help" -- "$cur")
    return
  fi

  local flags=
  case $verb in
    apply) flags="-f --wait --timeout --dry-run" ;;
    diff) flags="-f" ;;
    restart) flags="--wait --timeout" ;;
    scale) flags="--replicas" ;;
    ls | list | node) flags="-o" ;;
    get) flags="-o" ;;
    logs) flags="-f --follow -t --timestamps --tail --replica --raw" ;;
    schema)
      mapfile -t COMPREPLY < <(compgen -W "deployment workflow" -- "$cur")
      return
      ;;
    workflows)
      sub=
      for ((i = i + 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
          -f | --filename | --name | --inputs | --job | -o | --output) ((i++)) ;;
          -*) ;;
          *)
            sub=${COMP_WORDS[i]}
            break
            ;;
        esac
      done
      if [ -z "$sub" ]; then
        mapfile -t COMPREPLY < <(compgen -W "run ls runs get cancel delete logs" -- "$cur")
      elif [[ $cur == -* ]]; then
        case $sub in
          run) flags="-f --name --inputs --wait" ;;
          ls | list | runs | get) flags="-o" ;;
          logs) flags="--job -f --follow --raw" ;;
        esac
        mapfile -t COMPREPLY < <(compgen -W "$flags --socket" -- "$cur")
      elif [ "$sub" != run ] && [ "$sub" != ls ] && [ "$i" -eq $((COMP_CWORD - 1)) ]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_gradient_node_workflows)" -- "$cur")
      fi
      return
      ;;
    validate)
      mapfile -t COMPREPLY < <(compgen -f -X '!*.@(yaml|yml|json)' -- "$cur"; compgen -d -- "$cur")
      return
      ;;
  esac

  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$flags --socket" -- "$cur")
    return
  fi

  case $verb in
    get | delete | rm | restart | scale | logs)
      mapfile -t COMPREPLY < <(compgen -W "$(_gradient_node_deployments)" -- "$cur")
      ;;
  esac
}

complete -F _gradient_node gradient-node
